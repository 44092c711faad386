"""The AWS Competency knowledge base, shared by the ingest command, the KB assistant and the
operations DAGs: the programs it covers (:mod:`.programs`), their pages scraped into corpus
documents with Bedrock's metadata sidecars (:mod:`.scrape`, :mod:`.corpus`), published to the
documents bucket (:mod:`.publish`), ingested (:mod:`.sync`), and a retrieved passage's source
read back from that metadata (:mod:`.sources`)."""
