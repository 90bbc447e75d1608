"""Shops: the producer's storefront, its onboarding wizard, brand score, social links and approval."""
