"""``imagecheck fix``: corrected copies of failing images, re-checked with the same settings.

One module per kind of correction (crop, overlays, whiten, canvas, encode), a planner
(plan.py) that turns an image's findings into the ordered corrections the analysis
supports, and the API (api.py: :func:`fix_image`, :func:`fix_listing`). Originals are never
written.
"""
