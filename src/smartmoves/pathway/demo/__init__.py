"""The demo workspace: a synthetic regional bank taken through every step of the pathway.

Seeding the demo lives here, one module per step, so that no use case carries demo data.
"""

from smartmoves.pathway.demo.build import DemoLogin, build_demo, demo_logins

__all__ = ["DemoLogin", "build_demo", "demo_logins"]
