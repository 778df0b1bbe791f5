"""Stage 0, the core: what every stage shares and nothing else.

Errors and findings (:mod:`.errors`), the documented schema of the newspaper's files
(:mod:`.models`), schema errors located at their line (:mod:`.validation`), units of length
(:mod:`.units`), the build cache (:mod:`.cache`) and forked workers (:mod:`.parallel`). The core
imports no other stage.
"""
