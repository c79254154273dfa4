"""Realistic generated mailboxes for the threading scenario tests and the matching bench."""
