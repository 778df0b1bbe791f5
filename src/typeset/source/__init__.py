"""Stage 1, the sources: steps 1–3 of a build, everything read from the newspaper's repository.

The edition's manifest and the newspaper's settings (:mod:`.manifest`), its articles
(:mod:`.articles`), photos (:mod:`.images`), the layout (:mod:`.layouts`) and the fonts' glyph
coverage (:mod:`.fonts`). What leaves this stage is validated: an
:class:`~typeset.source.manifest.Edition` and a :class:`~typeset.source.layouts.Layout`.
"""
