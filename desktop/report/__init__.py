"""The quarterly report: a PDF to print, with an embedded Chinese font."""
