"""The school's own answers (payment, refunds, campus...), from a file the school edits."""
