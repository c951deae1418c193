"""Shared helpers for the moto-backed collection tests: boto3 clients for one account.

moto maps the account of an assumed-role ARN to the credentials it returns, so each test uses
its own account ids against one shared moto server instead of resetting it.
"""

import os

import boto3

# Any credentials do for moto; these are the base ("caller") credentials.
BASE = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


class Account:
    """boto3 clients for one account (via sts:AssumeRole) against the moto endpoint."""

    def __init__(self, endpoint, account, role="pathproof-test"):
        self.endpoint = endpoint
        self.account = account
        sts = boto3.client("sts", endpoint_url=endpoint, region_name="us-east-1", **BASE)
        creds = sts.assume_role(
            RoleArn=f"arn:aws:iam::{account}:role/{role}", RoleSessionName="pathproof-test"
        )["Credentials"]
        self.credentials = {
            "AWS_ACCESS_KEY_ID": creds["AccessKeyId"],
            "AWS_SECRET_ACCESS_KEY": creds["SecretAccessKey"],
            "AWS_SESSION_TOKEN": creds["SessionToken"],
        }
        self.session = boto3.session.Session(
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
        )
        self._clients = {}

    def client(self, service, region):
        key = (service, region)
        if key not in self._clients:
            self._clients[key] = self.session.client(
                service, endpoint_url=self.endpoint, region_name=region
            )
        return self._clients[key]


def utc():
    """botocore prints JSON-protocol timestamps in local time; the CLI reference is UTC."""
    os.environ["TZ"] = "UTC"
    try:
        import time

        time.tzset()
    except AttributeError:  # not on Windows
        pass
