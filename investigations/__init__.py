"""The Investigation module: case files (*carpetas de investigación*) opened from complaints or
for another agency's case, numbered per unit and year, with their workflow, assigned investigators
and shares (README "The Investigation module").

May import: `administration`, `audit`, `people` (identities: a case points at them, never copies
a person), `complaints` and the `reta` kernel.
"""
