"""Excel: the submission sheets, the templates for the townships, and their import."""
