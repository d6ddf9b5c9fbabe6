"""Demo and synthetic data: the try-out accounts, the demo complaints and the synthetic load
generator, with their commands (`load_demo_data`, `demo_otp_code`, `generate_synthetic`).

It may import every app; nothing imports it (tests/demo/test_demo_app.py checks), so the product's
runtime modules carry no demo code.
"""
