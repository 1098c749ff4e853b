"""Applications in and out of spreadsheets: CSV export, and import from CSV, .xlsx and .ods files.

An import goes upload -> review (columns, dates, stages, duplicates) -> a Celery
task that imports it with a progress bar -> undo if wanted. The file is kept
between steps in an ApplicationImport row. Modules, in the order a file meets
them: uploads and reading, columns, dates, stages, checking, forms, importing,
undoing; and exporting. Nothing here knows about requests: views live in
views/csv_io.py.
"""
