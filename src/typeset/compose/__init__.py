"""Stage 2, composition: step 4 of a build, the pages planned line by line before any render.

Every piece is measured (:mod:`.measure` says what a measurer must answer; the WeasyPrint
measurer lives in :mod:`typeset.render.measuring`), body text is flowed into columns
(:mod:`.flow`), articles are placed in the grid and copyfitted (:mod:`.composer`), and
:func:`.edition.lay_out_edition` returns the page plans (:mod:`.plan`) that every output is
rendered from. Nothing here imports WeasyPrint.
"""
