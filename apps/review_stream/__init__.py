"""Real-time review sentiment: reviews from a Kinesis stream are summarised and classified by a
model (Bedrock, or an offline stand-in) and indexed in OpenSearch, with every record that cannot
be processed kept as a dead letter."""
