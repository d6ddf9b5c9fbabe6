"""Cross-case analysis (issue 12): the same people, phones, plates and places across every
complaint and case file of the country.

What is here: the match index (blocking keys of identities and things), candidate matches with a
score and a plain-Spanish reason, the analysts' decisions (confirm → the identities are merged by
`people.services`, reject → never proposed again), "seen elsewhere", the network view, the
national route map and the exports for analysts' tools (GraphML, CSV, i2).

Every read goes through the one access primitive (`visible_to(user)`): what is outside the
user's scope is shown as counts per unit only.

May import: `administration`, `audit`, `people`, `complaints`, `investigations`, `stats` (its
charts: the map's outlines) and the `reta` kernel. No other module imports `analysis`, except the
project shell (`reta`) and `demo`.
"""
