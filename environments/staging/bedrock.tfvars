environment = "staging"

collection_standby_replicas = false
collection_public_access    = false

chunking = {
  strategy           = "FIXED_SIZE"
  max_tokens         = 300
  overlap_percentage = 20
}

# Staging opts out of its tier's deletion protection, so that it can be torn down and rebuilt.
case_table_deletion_protection = false
