"""Stage 4, the PDF files: step 6 of a build, prepress and preflight with pikepdf only.

Saving and page boxes (:mod:`.writer`), the printer's profile (:mod:`.profile`) and photo
conversion (:mod:`.photos`), content-stream normalising (:mod:`.content`) with the inks rules
(:mod:`.inks`) and words that read whole (:mod:`.text`), output intents (:mod:`.intents`) and
metadata (:mod:`.xmp`), font subsets (:mod:`.fontsubset`) and one font per face
(:mod:`.fontmerge`), the press files (:mod:`.press`), the archive file (:mod:`.archive`), the
preflight (:mod:`.preflight`) and the conformance check the tests run (:mod:`.conformance`).
This stage never imports WeasyPrint: it works on the rendered pages' bytes.
"""
