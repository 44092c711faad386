"""Amazon Bedrock operations as Airflow DAGs on Amazon MWAA (``dags/``: one module per DAG).

The DAGs refresh the knowledge base, evaluate retrieval against the gold questions, run batch
sentiment over a day of archived reviews, fine-tune a model (and, when enabled, buy provisioned
throughput for it) and smoke-test a model after each deploy. This package holds what they share
(:mod:`bedrock_ops.common`) and their logic that needs no Airflow (:mod:`.ingestion`,
:mod:`.evaluation`, :mod:`.batch`), tested on its own.
"""
