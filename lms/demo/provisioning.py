"""A SCIM connection for Northwind Logistics, so the demo can be provisioned with
``curl`` the way Okta or Entra ID would. Its token is new on every seed and
printed once, like the admin shows it once."""

from accounts.models import Organization
from people.models import ProvisioningConnection

DEMO_CONNECTION = "Okta – Northwind Logistics (demo)"


def seed_provisioning() -> str:
    organization = Organization.objects.get(name="Northwind Logistics")
    connection = ProvisioningConnection.objects.filter(name=DEMO_CONNECTION).first()
    connection = connection or ProvisioningConnection(
        name=DEMO_CONNECTION, organization=organization
    )
    token = connection.issue_token()
    connection.revoked_at = None
    connection.save()
    return token
