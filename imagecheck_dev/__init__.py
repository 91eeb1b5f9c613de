"""Development support for imagecheck, not shipped with it: synthetic test images
(:mod:`imagecheck_dev.synth`), their facts without a file (:mod:`imagecheck_dev.facts`)
and the labelled dataset's scorer (:mod:`imagecheck_dev.evaluate`), used by the tests, the
benchmarks, the training script and ``sample_images/generate.py``. Run from the repository
root (pytest puts it on the path; the scripts add it themselves)."""
