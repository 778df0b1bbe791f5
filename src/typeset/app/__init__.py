"""Stage 5, the application: the pipeline put together and what users run.

The build (:mod:`.build`, steps 1–7), the pages rendered and pressed in parallel
(:mod:`.pages`), ``report.json`` and the terminal summary (:mod:`.report`), all-or-nothing
outputs (:mod:`.outputs`, step 7), previews (:mod:`.preview`), the weekly workflow
(:mod:`.workflow`), the live proof page in the browser (:mod:`.serve`, its builds in
:mod:`.proof`) and the command line (:mod:`.cli`).
"""
