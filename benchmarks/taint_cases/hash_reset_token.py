import hashlib
import time
from django.http import JsonResponse


def request_reset(request):
    email = request.POST["email"]
    reset_token = hashlib.md5(f"{email}{time.time()}".encode()).hexdigest()
    return JsonResponse({"sent": True, "debug": reset_token[:4]})
