"""Customer reviews, shared by the review stream and the batch-sentiment DAG: the records of the
stream and their analysis (:mod:`.model`), and how their documents are indexed in OpenSearch
(:mod:`.bulk_writer`)."""
