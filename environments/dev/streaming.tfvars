environment = "dev"

# A demo's trickle of reviews: pay per GB, one task, one day of retention.
stream_mode = "ON_DEMAND"
