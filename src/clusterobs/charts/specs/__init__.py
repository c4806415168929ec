"""Captioned charts below Django: what every chart says (``text``: source line, notes, legends, the data's texts in
the reader's language), shared by the web pages, the image export and the reports."""
