from django.db import connection
from django.http import JsonResponse

AUDIT_TABLE = "audit_log_2024"


def audit_count(request):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {AUDIT_TABLE}")
        (count,) = cursor.fetchone()
    return JsonResponse({"count": count})
