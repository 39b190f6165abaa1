# Stratus's Python runtime: a Runtime API client loop that imports the handler named by _HANDLER
# from LAMBDA_TASK_ROOT and runs it as AWS's Python runtime does. Facts (error types, messages,
# stackTrace format, log format) follow aws-lambda-python-runtime-interface-client; code is ours.
#
# Cold start is what this file is tuned for. Stratus starts it with `python3 -S -u` (no `site`: its
# .pth processing alone can cost 20 ms), and it imports only built-in modules until the handler's
# own code runs:
# - the Runtime API is spoken over a raw `_socket` (http.client pulls in email, ssl, re: ~17 ms);
# - events and results go through `_json`, the C half of `json` (the `json` package imports `re`);
# - `traceback` is imported on the first error, `logging`'s handler is installed when something
#   (the function, boto3) imports `logging` (it costs ~18 ms), through a one-shot import hook.
# Site-packages (boto3 on the machine) are appended to sys.path by hand, without running .pth files.
import _json
import _socket
import os
import sys
import time

API = os.environ["AWS_LAMBDA_RUNTIME_API"]
BASE = "/2018-06-01/runtime"
TASK_ROOT = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
HANDLER = os.environ.get("_HANDLER", "lambda_function.lambda_handler")
# A response head larger than this is not the Runtime API's.
HEAD_BYTES_MAX = 64 * 1024

current_request_id = None


def add_site_packages():
    """What `site` would add to sys.path (user site, then site-packages), minus .pth files."""
    import site

    dirs = []
    if site.check_enableusersite():
        dirs.append(site.getusersitepackages())
    dirs.extend(site.getsitepackages())
    for path in dirs:
        if path not in sys.path and os.path.isdir(path):
            sys.path.append(path)
    # exit()/quit()/help() exist in a normal interpreter; functions may call them.
    site.setquit()
    site.setcopyright()
    site.sethelper()


class RuntimeApi:
    """One keep-alive HTTP/1.1 connection to the Runtime API (every answer has a Content-Length)."""

    def __init__(self, address):
        host, port = address.rsplit(":", 1)
        self.address = (host, int(port))
        self.host = address
        self.sock = None
        self.buffer = b""
        self.next_request = self._format("GET", "/invocation/next", b"", {})

    def _connect(self):
        self.sock = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
        self.sock.setsockopt(_socket.IPPROTO_TCP, _socket.TCP_NODELAY, 1)
        self.sock.connect(self.address)
        self.buffer = b""

    def _close(self):
        if self.sock is not None:
            self.sock.close()
        self.sock = None

    def _read_more(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("Runtime API closed the connection")
        self.buffer += chunk

    def _format(self, method, path, body, headers):
        head = f"{method} {BASE}{path} HTTP/1.1\r\nHost: {self.host}\r\n"
        for name, value in headers.items():
            head += f"{name}: {value}\r\n"
        head += f"Content-Length: {len(body)}\r\n\r\n"
        return head.encode("latin-1") + body

    def _read_answer(self):
        while b"\r\n\r\n" not in self.buffer:
            if len(self.buffer) > HEAD_BYTES_MAX:
                raise ConnectionError("Runtime API answer head too large")
            self._read_more()
        raw, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        answer_headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            answer_headers[name.strip().lower()] = value.strip()
        length = int(answer_headers.get("content-length", "0"))
        while len(self.buffer) < length:
            self._read_more()
        payload, self.buffer = self.buffer[:length], self.buffer[length:]
        if answer_headers.get("connection", "").lower() == "close":
            self._close()
        return status, answer_headers, payload

    def _exchange(self, requests):
        """Sends the requests in one write (pipelined) and returns the last one's answer."""
        if self.sock is None:
            self._connect()
        self.sock.sendall(b"".join(requests))
        for _ in range(len(requests) - 1):
            self._read_answer()
            if self.sock is None:
                raise ConnectionError("Runtime API closed the connection")
        return self._read_answer()

    def _retrying(self, requests):
        """(status, headers with lower-case names, body); reconnects once if the connection dropped."""
        for attempt in range(2):
            try:
                return self._exchange(requests)
            except (OSError, ValueError, IndexError):
                self._close()
                if attempt == 1:
                    raise
        raise AssertionError("unreachable")

    def request(self, method, path, body=b"", headers=None):
        return self._retrying([self._format(method, path, body, headers or {})])

    def answer_then_next(self, path, body, headers):
        """POSTs an invocation's answer and GETs the next event in one write: one syscall each way and
        one wake-up of Stratus instead of two. The answer's status is not looked at, as before."""
        return self._retrying([self._format("POST", path, body, headers), self.next_request])


# json.loads/json.dumps with their default options, from the C accelerator directly; the `json`
# package itself is the fallback (an interpreter without `_json`, or invalid JSON for its exact error).
class _DecodeContext:
    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}.__getitem__


_WHITESPACE = " \t\n\r"


def _not_serializable(o):
    raise TypeError(f"Object of type {o.__class__.__name__} is not JSON serializable")


def _c_encoder():
    # A new markers dict each time, as json.dumps does: one left over from a failed call would
    # report circular references that are not there.
    return _json.make_encoder(
        {}, _not_serializable, _json.encode_basestring_ascii, None, ": ", ", ", False, False, True
    )


try:
    _scan = _json.make_scanner(_DecodeContext())
    _c_encoder()
except (AttributeError, TypeError):
    _scan = None


def json_loads(text):
    if _scan is not None:
        end = len(text)
        start = 0
        while start < end and text[start] in _WHITESPACE:
            start += 1
        try:
            value, stop = _scan(text, start)
        except StopIteration:
            stop = -1
        while 0 <= stop < end and text[stop] in _WHITESPACE:
            stop += 1
        if stop == end:
            return value
    import json

    return json.loads(text)


def json_dumps(value):
    if _scan is None:
        import json

        return json.dumps(value)
    if isinstance(value, str):
        return _json.encode_basestring_ascii(value)
    return "".join(_c_encoder()(value, 0))


class FaultError(Exception):
    def __init__(self, error_type, message):
        super().__init__(message)
        self.error_type = error_type
        self.message = message


def error_result(exc_info, request_id):
    import traceback

    etype, value, tb = exc_info
    if isinstance(value, FaultError):
        error_type, message, stack = value.error_type, value.message, []
    else:
        frames = traceback.extract_tb(tb.tb_next if tb else None)
        error_type, message, stack = etype.__name__, str(value), traceback.format_list(frames)
    result = {"errorMessage": message, "errorType": error_type, "requestId": request_id, "stackTrace": stack}
    # AWS prints the error as "[ERROR] Type: message" followed by the traceback.
    lines = "".join(stack)
    log = f"[ERROR] {error_type}: {message}\nTraceback (most recent call last):\n{lines}"
    sys.stdout.write(log.replace("\n", "\r").rstrip("\r") + "\n")
    return result


def post_error(api, path, result):
    api.request(
        "POST",
        path,
        json_dumps(result).encode(),
        {"Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": result["errorType"]},
    )


def load_handler():
    try:
        modname, fname = HANDLER.rsplit(".", 1)
    except ValueError as e:
        raise FaultError("Runtime.MalformedHandlerName", f"Bad handler '{HANDLER}': {e}")
    modname = modname.replace("/", ".")
    try:
        __import__(modname)
        module = sys.modules[modname]
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
        self.aws_request_id = headers.get("lambda-runtime-aws-request-id")
        self.invoked_function_arn = headers.get("lambda-runtime-invoked-function-arn")
        self._deadline_ms = int(headers.get("lambda-runtime-deadline-ms") or 0)
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        identity = _json_or_none(headers.get("lambda-runtime-cognito-identity"))
        self.identity = CognitoIdentity(identity or {})
        client_context = _json_or_none(headers.get("lambda-runtime-client-context"))
        self.client_context = ClientContext(client_context) if client_context else None

    def get_remaining_time_in_millis(self):
        return max(self._deadline_ms - int(time.time() * 1000), 0)


def _json_or_none(text):
    if not text:
        return None
    try:
        return json_loads(text)
    except ValueError:
        return None


def setup_logging(logging):
    """AWS's root handler: "[LEVEL]\tTIMESTAMP\tREQUEST_ID\tmessage" lines on stdout."""

    class RequestIdFilter(logging.Filter):
        def filter(self, record):
            record.aws_request_id = current_request_id
            return True

    handler = logging.StreamHandler(sys.stdout)
    formatter = logging.Formatter(
        "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n", "%Y-%m-%dT%H:%M:%S"
    )
    formatter.converter = time.gmtime
    handler.setFormatter(formatter)
    handler.addFilter(RequestIdFilter())
    logging.getLogger().addHandler(handler)


class _LoaderThen:
    """A module's own loader, running `then(module)` once the module has executed."""

    def __init__(self, loader, then):
        self._loader = loader
        self._then = then

    def __getattr__(self, name):
        return getattr(self._loader, name)

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        module.__loader__ = self._loader
        module.__spec__.loader = self._loader
        self._then(module)


class LoggingImportHook:
    """A meta path finder that installs AWS's logging handler right after `logging` is imported."""

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name != "logging":
            return None
        sys.meta_path.remove(cls)
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            spec = find(name, path, target) if find else None
            if spec is not None and spec.loader is not None:
                spec.loader = _LoaderThen(spec.loader, setup_logging)
                return spec
        return None


def main():
    global current_request_id
    sys.path.insert(0, TASK_ROOT)
    if sys.flags.no_site:
        add_site_packages()
    if "logging" in sys.modules:
        setup_logging(sys.modules["logging"])
    else:
        sys.meta_path.insert(0, LoggingImportHook)
    api = RuntimeApi(API)
    try:
        handler = load_handler()
    except Exception:
        post_error(api, "/init/error", error_result(sys.exc_info(), ""))
        sys.exit(1)
    status, headers, body = api.request("GET", "/invocation/next")
    while True:
        request_id = headers.get("lambda-runtime-aws-request-id")
        current_request_id = request_id
        trace = headers.get("lambda-runtime-trace-id")
        if trace:
            os.environ["_X_AMZN_TRACE_ID"] = trace
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)
        try:
            event = json_loads(body.decode("utf-8")) if body else None
            result = handler(event, LambdaContext(headers))
            payload = json_dumps(result).encode()
        except Exception:
            error = error_result(sys.exc_info(), request_id)
            status, headers, body = api.answer_then_next(
                f"/invocation/{request_id}/error",
                json_dumps(error).encode(),
                {"Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": error["errorType"]},
            )
            continue
        status, headers, body = api.answer_then_next(
            f"/invocation/{request_id}/response", payload, {"Content-Type": "application/json"}
        )


if __name__ == "__main__":
    main()
