# Stratus's Python runtime: a Runtime API client loop that imports the handler named by _HANDLER
# from LAMBDA_TASK_ROOT and runs it as AWS's Python runtime does. Facts (error types, messages,
# stackTrace format, log format) follow aws-lambda-python-runtime-interface-client; code is ours.
import http.client
import importlib
import json
import logging
import os
import sys
import time
import traceback

API = os.environ["AWS_LAMBDA_RUNTIME_API"]
BASE = "/2018-06-01/runtime"
TASK_ROOT = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
HANDLER = os.environ.get("_HANDLER", "lambda_function.lambda_handler")

_host, _port = API.split(":")
_conn = None
current_request_id = None


def request(method, path, body=None, headers=None):
    global _conn
    for attempt in range(2):
        if _conn is None:
            _conn = http.client.HTTPConnection(_host, int(_port))
        try:
            _conn.request(method, BASE + path, body=body, headers=headers or {})
            response = _conn.getresponse()
            return response.status, response.headers, response.read()
        except (http.client.HTTPException, ConnectionError):
            _conn.close()
            _conn = None
            if attempt == 1:
                raise


class FaultError(Exception):
    def __init__(self, error_type, message):
        super().__init__(message)
        self.error_type = error_type
        self.message = message


def _frames(tb):
    return traceback.format_list(traceback.extract_tb(tb))


def error_result(exc_info, request_id):
    etype, value, tb = exc_info
    if isinstance(value, FaultError):
        error_type, message, stack = value.error_type, value.message, []
    else:
        error_type, message, stack = etype.__name__, str(value), _frames(tb.tb_next if tb else None)
    result = {"errorMessage": message, "errorType": error_type, "requestId": request_id, "stackTrace": stack}
    # AWS prints the error as "[ERROR] Type: message" followed by the traceback.
    lines = "".join(stack)
    log = f"[ERROR] {error_type}: {message}\nTraceback (most recent call last):\n{lines}"
    sys.stdout.write(log.replace("\n", "\r").rstrip("\r") + "\n")
    return result


def post_error(path, result):
    body = json.dumps(result).encode()
    request(
        "POST",
        path,
        body,
        {"Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": result["errorType"]},
    )


def load_handler():
    try:
        modname, fname = HANDLER.rsplit(".", 1)
    except ValueError as e:
        raise FaultError("Runtime.MalformedHandlerName", f"Bad handler '{HANDLER}': {e}")
    modname = modname.replace("/", ".")
    try:
        module = importlib.import_module(modname)
    except ImportError as e:
        raise FaultError("Runtime.ImportModuleError", f"Unable to import module '{modname}': {e}")
    except SyntaxError as e:
        raise FaultError("Runtime.UserCodeSyntaxError", f"Syntax error in module '{modname}': {e}")
    fn = getattr(module, fname, None)
    if fn is None:
        raise FaultError("Runtime.HandlerNotFound", f"Handler '{fname}' missing on module '{modname}'")
    return fn


class CognitoIdentity:
    def __init__(self, data):
        self.cognito_identity_id = data.get("cognitoIdentityId")
        self.cognito_identity_pool_id = data.get("cognitoIdentityPoolId")


class Client:
    def __init__(self, data):
        self.installation_id = data.get("installation_id")
        self.app_title = data.get("app_title")
        self.app_version_name = data.get("app_version_name")
        self.app_version_code = data.get("app_version_code")
        self.app_package_name = data.get("app_package_name")


class ClientContext:
    def __init__(self, data):
        self.client = Client(data["client"]) if data.get("client") else None
        self.custom = data.get("custom")
        self.env = data.get("env")


class LambdaContext:
    def __init__(self, headers):
        self.aws_request_id = headers.get("Lambda-Runtime-Aws-Request-Id")
        self.invoked_function_arn = headers.get("Lambda-Runtime-Invoked-Function-Arn")
        self._deadline_ms = int(headers.get("Lambda-Runtime-Deadline-Ms") or 0)
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        identity = _json(headers.get("Lambda-Runtime-Cognito-Identity"))
        self.identity = CognitoIdentity(identity or {})
        client_context = _json(headers.get("Lambda-Runtime-Client-Context"))
        self.client_context = ClientContext(client_context) if client_context else None

    def get_remaining_time_in_millis(self):
        return max(self._deadline_ms - int(time.time() * 1000), 0)


def _json(text):
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = current_request_id
        return True


def setup_logging():
    handler = logging.StreamHandler(sys.stdout)
    formatter = logging.Formatter(
        "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n", "%Y-%m-%dT%H:%M:%S"
    )
    formatter.converter = time.gmtime
    handler.setFormatter(formatter)
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)


def main():
    global current_request_id
    sys.path.insert(0, TASK_ROOT)
    setup_logging()
    try:
        handler = load_handler()
    except Exception:
        post_error("/init/error", error_result(sys.exc_info(), ""))
        sys.exit(1)
    while True:
        status, headers, body = request("GET", "/invocation/next")
        request_id = headers.get("Lambda-Runtime-Aws-Request-Id")
        current_request_id = request_id
        trace = headers.get("Lambda-Runtime-Trace-Id")
        if trace:
            os.environ["_X_AMZN_TRACE_ID"] = trace
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)
        try:
            event = json.loads(body) if body else None
            result = handler(event, LambdaContext(headers))
            payload = json.dumps(result).encode()
        except Exception:
            post_error(f"/invocation/{request_id}/error", error_result(sys.exc_info(), request_id))
            continue
        request("POST", f"/invocation/{request_id}/response", payload, {"Content-Type": "application/json"})


if __name__ == "__main__":
    main()
