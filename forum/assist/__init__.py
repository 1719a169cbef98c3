"""Help at the point of entry: tactic suggestion and duplicate detection.

Everything here is computed from the organization's own data (its catalog, its screened
proposals, its proposals of the plan period), in this process, with no network service:

- ``text``: Thai normalization and segmentation (PyThaiNLP), character trigrams, village numbers;
- ``lexicon``: a short list of the words of local project titles and the catalog words they
  stand for (road words -> ถนน, weir words -> แหล่งน้ำ ...), written once for Thai local plans;
- ``ranking``: BM25 (pure functions, tested without HTTP);
- ``tactics``: which strategy/tactic a proposal likely belongs to;
- ``duplicates``: which proposals of the same organization and plan period say the same thing;
- ``views``: the JSON endpoint, the no-JS "suggest" round trip and the village support record.
"""
