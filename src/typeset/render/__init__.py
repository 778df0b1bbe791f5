"""Stage 3, rendering: step 5 of a build, everything that talks to WeasyPrint.

The renderer (:mod:`.engine`), the only way it reads a file (:mod:`.fetcher`), the one reader of
its box tree (:mod:`.boxes`), the measuring document (:mod:`.measuring`) and the HTML of the
pages (:mod:`.html`).
"""
