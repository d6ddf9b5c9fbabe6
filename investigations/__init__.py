"""The Investigation module (case files): the next module to be built here.

May import: `administration`, `audit`, `people` (identities: a case points at them, never copies
a person), `complaints` and the `reta` kernel.
"""
