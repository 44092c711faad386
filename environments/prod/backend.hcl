# scripts/tf adds bucket (<project>-tfstate-<account>-<region>) and key (<env>/<stack>.tfstate).
region       = "us-east-1"
encrypt      = true
use_lockfile = true
