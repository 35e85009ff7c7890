"""The demo service (``manage.py seed_demo``): its people, one story per
patient across every app, and the service-wide data that belongs to no single
patient. It depends on every app and no app depends on it, so the apps stay
free of demo code.
"""
