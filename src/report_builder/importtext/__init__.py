"""Clean text pulled out of a printed page and draft a report.yaml from it.

The stages: read source lines (:mod:`.lines`), resolve the spaces that the old
justification left (:mod:`.spacing`), rejoin lines into paragraphs by their
measure (:mod:`.paragraphs`), undo outline doubling (:mod:`.doubling`), sort
paragraphs into headlines, articles, captions and credits (:mod:`.structure`),
and write the draft (:mod:`.draft`). :mod:`.cli` is what ``invoke import-text`` runs.
"""
