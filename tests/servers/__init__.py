"""Real servers for tests (Dovecot IMAP, ...), started in temp dirs on free ports.

See ../shared/design/test-servers.md for the recipes these follow.
"""
