"""drafts: render context, fixed sender, address confirmation, outbox phases

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 18:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("drafts") as batch:
        batch.add_column(sa.Column("context", sa.JSON(), nullable=False, server_default="{}"))
        batch.add_column(sa.Column("from_addr", sa.String(length=320), nullable=True))
        batch.add_column(sa.Column("address_note", sa.Text(), nullable=True))
        batch.add_column(sa.Column("phase", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("sent_copy_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column(
                "updated_at",
                sa.DateTime(timezone=True),
                nullable=False,
                server_default=sa.text("CURRENT_TIMESTAMP"),
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("drafts") as batch:
        for column in (
            "updated_at",
            "sent_copy_at",
            "next_attempt_at",
            "phase",
            "address_note",
            "from_addr",
            "context",
        ):
            batch.drop_column(column)
