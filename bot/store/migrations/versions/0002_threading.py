"""threading: thread keys, campaign fingerprints, Outlook conversation keys

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 16:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "thread_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["requests.id"],
            name=op.f("fk_thread_keys_request_id_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_thread_keys")),
        sa.UniqueConstraint("request_id", "key", name=op.f("uq_thread_keys_request_id")),
    )
    op.create_index(op.f("ix_thread_keys_key"), "thread_keys", ["key"], unique=False)
    with op.batch_alter_table("requests") as batch:
        batch.add_column(sa.Column("body_fingerprint", sa.String(length=64), nullable=True))
        batch.create_index(batch.f("ix_requests_body_fingerprint"), ["body_fingerprint"])
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("conversation", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("conversation")
    with op.batch_alter_table("requests") as batch:
        batch.drop_index(batch.f("ix_requests_body_fingerprint"))
        batch.drop_column("body_fingerprint")
    op.drop_index(op.f("ix_thread_keys_key"), table_name="thread_keys")
    op.drop_table("thread_keys")
