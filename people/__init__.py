"""People as identities: the real person behind the records, shared by every module.

Why an app of its own. A complaint records a person as the station heard of her or him
(`complaints.models.Person`): names, alias, document, as written that day. That record belongs to
the complaint and is frozen with it. The *identity* is something else: the real person, matched
across complaints and case files, who grows as investigations learn more (another alias, a
passport, a phone, an address where she lived from one date to another) without touching any
frozen record. Complaints and, next, case files (Investigation module) and cross-case matching
(issues 11-12) all point at the same identity; none copies a person from another module. So the
identity cannot live inside `complaints/` (case files would reach into the Reporting module), and
the recorded person cannot move out of it (it is part of the frozen complaint).

What is here:
  - `models`: `Identity` (a primary name, sex, date of birth, nationality; historised) and its
    growing rows, each with its source and validity: `IdentityName` (names and aliases),
    `IdentityDocument` (type from `catalogues.DocumentType`, number kept as written and as a
    matching key), `IdentityPhone`, `IdentityAddress` (district + text, from/to dates),
    `IdentityDescription` (a physical description as observed on a date: height, build, hair,
    eyes, marks, text; added by case files). Not frozen.
  - `services`: every write (`identity_from_record`, `identity_add_*`), audited.
  - `matching`: the keys under which names, documents, phones and plates are indexed (pure
    Python, lenient: any value has a key).
  - `identifiers`: the strong identifiers checked and written one way (documents with python-stdnum,
    phones in E.164 with phonenumbers, vehicle plates, social-network accounts), Spanish messages;
    `form_fields`: the form fields that clean to those values.
  - `privacy`: THE masking rule of the system (minors, need-to-know, the logged reveal), called by
    every page, PDF, export and document; `policies.can_view_identity` says who has the need.
  - `catalogues`: sex and identity documents (re-exported by `complaints.catalogues`), social
    networks.

Dependencies: this app imports `administration` and `audit` only. `complaints` imports it (the
recorded person's `identity` foreign key, the submission service, the masking rule), and so will
`investigations`. Matching identities with each other (merging) is a later issue: nothing here
merges, but every document number and phone is written with its key so matching can index them.
"""
