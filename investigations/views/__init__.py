"""The pages of the Investigation module, one module per part of a case file (see
investigations.models): `case_files` (list, detail, open, status, assignments, shares, persons
from the complaints), `persons` (the persons in roles: list, person page, documents, aliases,
addresses, phones, descriptions, images, results and protective measures). Shared helpers live
in `case_files` (`_readable`, `_workable`, `_form_saved`, `_detail_url`)."""
