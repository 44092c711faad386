environment = "dev"
region      = "us-east-1"

embedding_dimensions        = 1024
collection_standby_replicas = false
collection_public_access    = false
force_destroy               = true

chunking = {
  strategy           = "FIXED_SIZE"
  max_tokens         = 300
  overlap_percentage = 20
}

case_table_deletion_protection = false
