"""Scale (issue 7): the exact prefilter, partitioning, Parquet partitions, and the engines.

The same stage functions (`eventcoder.pipeline.Coder`) run in one process,
in a process pool (`--engine processes`) or on Dask workers
(`--engine dask`); each worker loads the model, lexicon, actors and
gazetteer once.
"""
