import marshal
from django.http import JsonResponse


def load_blob(request):
    data = marshal.loads(request.body)
    return JsonResponse({"type": type(data).__name__})
