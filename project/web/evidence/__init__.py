"""The evidence blueprint: uploading exhibits, their pages, and the audited routes that serve their files."""
