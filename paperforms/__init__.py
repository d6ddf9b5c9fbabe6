"""Paper forms: the carbonless forms of stations without computers (BRIEF.md workflow 3).

Owns: batches and serials (`models`, `serials`: Damm check digit), issuing and the serial check
used when a paper form is entered (`services`), the register of outstanding forms (`selectors`),
the ReportLab PDFs — blank sets and the filled complaint (`pdf`) —, the screens and `issue_forms`.

May import: `administration`, `audit`, `people` (privacy, in the PDF) and the `reta` kernel; only
its edge (`pdf`, `views`, the command) imports the public pieces of `complaints`. Its core is what
`complaints` calls, so it never imports `complaints` (tests/test_dependencies.py).
"""
