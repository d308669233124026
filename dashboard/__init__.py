"""Publishing dashboard for think-tank and research-institute blogs."""
