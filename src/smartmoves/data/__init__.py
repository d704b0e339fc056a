"""Data: table contracts, readers, validation, the operational and analytics stores,
and the synthetic organization."""
