"""Branding: colour palettes and contrast, Persian-capable fonts, logo candidates and the print and
social-media kit. A pure library: functions take plain values and PIL images and return them, with
no app, database or request, so the shop wizard, the CLI and the benchmark all call the same code."""
