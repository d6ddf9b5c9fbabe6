"""Settings of the load test (`make load`, bench/load/run.py): the production settings unchanged,
with one URLconf that adds the bare insert view (bench.load.urls). Never used by the product:
`reta.urls` does not know this view."""

from reta.settings import *  # noqa: F403

ROOT_URLCONF = "bench.load.urls"
