"""Real servers for tests (Dovecot IMAP, ...), started in temp dirs on free ports.

See /work/shared/design/test-servers.md for the recipes these follow.
"""
