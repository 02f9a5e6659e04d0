// What each language contributes to the guides: how its ADOT auto-instrumentation is installed
// and started on a host, in an ECS task, under the EKS add-on and in a Lambda layer.
#include <array>

#include "tools/enablement/guide_fragments.h"

namespace appsignals::tools::enablement {
namespace {

// ---------------------------------------------------------------- Python
constexpr EnvVar kPythonHostEnv[] = {
    {"OTEL_PYTHON_DISTRO", "aws_distro", "selects the ADOT Python distro"},
    {"OTEL_PYTHON_CONFIGURATOR", "aws_configurator", "selects the ADOT configurator"},
};
constexpr EnvVar kPythonContainerEnv[] = {
    {"PYTHONPATH",
     "/otel-auto-instrumentation-python/opentelemetry/instrumentation/auto_instrumentation:/app:/otel-auto-instrumentation-python",
     "loads the copied agent before the app (`/app` = the image's working directory)"},
    {"OTEL_PYTHON_DISTRO", "aws_distro", "selects the ADOT Python distro"},
    {"OTEL_PYTHON_CONFIGURATOR", "aws_configurator", "selects the ADOT configurator"},
};

constexpr std::string_view kPythonHostSteps = R"guide(1. In `{{APP_DIR}}`, add `aws-opentelemetry-distro` to the dependencies (for example `requirements.txt`) and install it into the environment the service runs from (its virtualenv, if any):
   ```bash
   pip install aws-opentelemetry-distro
   ```
2. Start the application through the `opentelemetry-instrument` wrapper instead of calling the interpreter directly, for example `opentelemetry-instrument python app.py`, or `opentelemetry-instrument gunicorn app:app` for a WSGI server. No code changes are needed.
3. Django: set `DJANGO_SETTINGS_MODULE` and run without the autoreloader (`--noreload`). Pre-fork servers (gunicorn, uWSGI) with several workers may need the per-worker initialisation described in the ADOT Python documentation.)guide";

constexpr std::string_view kPythonContainerNotes = R"guide(- The agent is not baked into the image: the init container copies ADOT Python (`aws-opentelemetry-distro`) into the shared volume and `PYTHONPATH` makes the interpreter load it, so the image built from `{{APP_DIR}}` and its start command stay as they are (the effect is the same as starting with `opentelemetry-instrument`).
- Replace `/app` in `PYTHONPATH` with the application's working directory inside the image (the `WORKDIR` of `{{APP_DIR}}/Dockerfile`), keeping it between the two agent paths.
- Django: also set `DJANGO_SETTINGS_MODULE` and start without the autoreloader (`--noreload`).)guide";

constexpr std::string_view kPythonEksNotes = R"guide(- The operator adds an init container that copies ADOT Python (`aws-opentelemetry-distro`) into the pod and sets `PYTHONPATH` so it loads before your code — the equivalent of starting with `opentelemetry-instrument`. Nothing in `{{APP_DIR}}` changes.
- Django: set `DJANGO_SETTINGS_MODULE` in the container and run without the autoreloader (`--noreload`).
- Images based on musl (Alpine) may not load the injected packages; install `aws-opentelemetry-distro` in the image instead and start with `opentelemetry-instrument`.)guide";

constexpr std::string_view kPythonLambdaNotes = R"guide(- Keep the function's handler setting unchanged (`app.handler` in the examples stands for yours): the `/opt/otel-instrument` wrapper loads ADOT Python and then calls it. No code in `{{APP_DIR}}` changes.
- Remove any manual OpenTelemetry SDK setup from the code so that only one SDK initialises.)guide";

// ---------------------------------------------------------------- Node.js
constexpr EnvVar kNodeHostEnv[] = {
    {"NODE_OPTIONS", "--require @aws/aws-distro-opentelemetry-node-autoinstrumentation/register",
     "loads ADOT JavaScript before the app"},
};
constexpr EnvVar kNodeContainerEnv[] = {
    {"NODE_OPTIONS", "--require /otel-auto-instrumentation-node/autoinstrumentation.js",
     "loads the copied ADOT JavaScript before the app"},
};

constexpr std::string_view kNodeHostSteps = R"guide(1. In `{{APP_DIR}}`, add the ADOT JavaScript package to the application:
   ```bash
   npm install @aws/aws-distro-opentelemetry-node-autoinstrumentation
   ```
2. Load it before any application module with `--require @aws/aws-distro-opentelemetry-node-autoinstrumentation/register`, either on the command line (`node --require @aws/aws-distro-opentelemetry-node-autoinstrumentation/register app.js`) or through `NODE_OPTIONS` (step 4), which also covers `npm start` scripts. No code changes are needed.
3. This covers CommonJS applications. ES-module applications need the ESM loader setup described in the ADOT JavaScript documentation.)guide";

constexpr std::string_view kNodeContainerNotes = R"guide(- The init container copies ADOT JavaScript (`@aws/aws-distro-opentelemetry-node-autoinstrumentation`) into the shared volume and `NODE_OPTIONS` preloads it, so the image built from `{{APP_DIR}}` is unchanged. If the task already sets `NODE_OPTIONS`, append the `--require` flag to the existing value.
- CommonJS applications work as shown; ES-module applications need the ESM loader setup from the ADOT JavaScript documentation.)guide";

constexpr std::string_view kNodeEksNotes = R"guide(- The operator copies ADOT JavaScript (`@aws/aws-distro-opentelemetry-node-autoinstrumentation`) into the pod and adds its `--require` to `NODE_OPTIONS`. Nothing in `{{APP_DIR}}` changes.
- Injection covers CommonJS applications. For ES modules, add the package to `{{APP_DIR}}/package.json` and start with the ESM loader setup from the ADOT JavaScript documentation instead.)guide";

constexpr std::string_view kNodeLambdaNotes = R"guide(- Keep the handler setting unchanged (`index.handler` in the examples stands for yours): the `/opt/otel-instrument` wrapper loads ADOT JavaScript first.
- If the function is bundled (for example with esbuild through the CDK `NodejsFunction`), emit CommonJS so the layer can wrap the exported handler.)guide";

// ---------------------------------------------------------------- Java
constexpr EnvVar kJavaContainerEnv[] = {
    {"JAVA_TOOL_OPTIONS", " -javaagent:/otel-auto-instrumentation/javaagent.jar",
     "attaches the copied ADOT Java agent to the JVM"},
};

constexpr std::string_view kJavaHostSteps = R"guide(1. Download the ADOT Java agent onto the instance (pin a release for production):
   ```bash
   sudo curl -L -o /opt/aws-opentelemetry-agent.jar \
     https://github.com/aws-observability/aws-otel-java-instrumentation/releases/latest/download/aws-opentelemetry-agent.jar
   ```
2. Attach it when the JVM starts, before `-jar`: `java -javaagent:/opt/aws-opentelemetry-agent.jar -jar app.jar` (the general form is `-javaagent:/path/aws-opentelemetry-agent.jar`). No code or build changes in `{{APP_DIR}}` are required; Java 8 or later.
3. If the start command cannot change, set `JAVA_TOOL_OPTIONS=" -javaagent:/opt/aws-opentelemetry-agent.jar"` in the service environment instead.)guide";

constexpr std::string_view kJavaContainerNotes = R"guide(- The init container copies the ADOT Java agent (`aws-opentelemetry-agent.jar`, saved as `javaagent.jar`) into the shared volume and `JAVA_TOOL_OPTIONS` adds `-javaagent:` to every JVM start, so the image built from `{{APP_DIR}}` is unchanged.
- If the task already sets `JAVA_TOOL_OPTIONS`, append the `-javaagent:` flag to the existing value rather than replacing it.)guide";

constexpr std::string_view kJavaEksNotes = R"guide(- The operator copies the ADOT Java agent (`aws-opentelemetry-agent.jar`) into the pod and adds `-javaagent:` to `JAVA_TOOL_OPTIONS`. Nothing in `{{APP_DIR}}` changes.
- Allow for the agent's start-up cost: raise memory limits slightly and give readiness probes some extra time.)guide";

constexpr std::string_view kJavaLambdaNotes = R"guide(- Keep the handler setting unchanged (`com.example.Handler::handleRequest` in the examples stands for yours): the `/opt/otel-instrument` wrapper starts the JVM with the ADOT Java agent.
- The agent lengthens cold starts; give the function enough memory and measure before and after.)guide";

// ---------------------------------------------------------------- .NET
constexpr EnvVar kDotnetHostEnv[] = {
    {"OTEL_DOTNET_AUTO_HOME", "/opt/otel-dotnet-auto", "where the installer put ADOT .NET"},
    {"CORECLR_ENABLE_PROFILING", "1", "lets the runtime load the profiler"},
    {"CORECLR_PROFILER", "{918728DD-259F-4A6A-AC2B-B85E1B658318}", "the OpenTelemetry profiler's id"},
    {"CORECLR_PROFILER_PATH", "/opt/otel-dotnet-auto/linux-x64/OpenTelemetry.AutoInstrumentation.Native.so",
     "the profiler library (`linux-arm64` on Graviton)"},
    {"DOTNET_ADDITIONAL_DEPS", "/opt/otel-dotnet-auto/AdditionalDeps", "extra dependencies"},
    {"DOTNET_SHARED_STORE", "/opt/otel-dotnet-auto/store", "shared assembly store"},
    {"DOTNET_STARTUP_HOOKS", "/opt/otel-dotnet-auto/net/OpenTelemetry.AutoInstrumentation.StartupHook.dll",
     "starts instrumentation with the app"},
    {"OTEL_DOTNET_AUTO_PLUGINS",
     "AWS.Distro.OpenTelemetry.AutoInstrumentation.Plugin, AWS.Distro.OpenTelemetry.AutoInstrumentation",
     "the AWS (ADOT) plugin"},
};
constexpr EnvVar kDotnetContainerEnv[] = {
    {"OTEL_DOTNET_AUTO_HOME", "/otel-auto-instrumentation-dotnet", "where the init container copied ADOT .NET"},
    {"CORECLR_ENABLE_PROFILING", "1", "lets the runtime load the profiler"},
    {"CORECLR_PROFILER", "{918728DD-259F-4A6A-AC2B-B85E1B658318}", "the OpenTelemetry profiler's id"},
    {"CORECLR_PROFILER_PATH",
     "/otel-auto-instrumentation-dotnet/linux-x64/OpenTelemetry.AutoInstrumentation.Native.so",
     "the profiler library (`linux-arm64` on Graviton)"},
    {"DOTNET_ADDITIONAL_DEPS", "/otel-auto-instrumentation-dotnet/AdditionalDeps", "extra dependencies"},
    {"DOTNET_SHARED_STORE", "/otel-auto-instrumentation-dotnet/store", "shared assembly store"},
    {"DOTNET_STARTUP_HOOKS",
     "/otel-auto-instrumentation-dotnet/net/OpenTelemetry.AutoInstrumentation.StartupHook.dll",
     "starts instrumentation with the app"},
    {"OTEL_DOTNET_AUTO_PLUGINS",
     "AWS.Distro.OpenTelemetry.AutoInstrumentation.Plugin, AWS.Distro.OpenTelemetry.AutoInstrumentation",
     "the AWS (ADOT) plugin"},
};

constexpr std::string_view kDotnetHostSteps = R"guide(1. Install ADOT .NET auto-instrumentation on the instance with its installer script (pin a release for production):
   ```bash
   curl -L -O https://github.com/aws-observability/aws-otel-dotnet-instrumentation/releases/latest/download/aws-otel-dotnet-install.sh
   sudo OTEL_DOTNET_AUTO_HOME=/opt/otel-dotnet-auto sh ./aws-otel-dotnet-install.sh
   ```
   Without `OTEL_DOTNET_AUTO_HOME` the script installs under `$HOME/.otel-dotnet-auto`; the variables in step 4 must point at wherever it went.
2. The instrumentation is a CLR profiler plus a startup hook, switched on purely by environment variables (`CORECLR_ENABLE_PROFILING=1` and the others in step 4) — no code or package changes in `{{APP_DIR}}`. Start the published app as usual, e.g. `dotnet MyApp.dll`.
3. The paths shown are for Linux x64; use `linux-arm64` on Graviton instances. Windows hosts use the ADOT PowerShell module instead.)guide";

constexpr std::string_view kDotnetContainerNotes = R"guide(- The init container copies ADOT .NET into the shared volume; the `CORECLR_*` and `DOTNET_*` variables make the runtime load it, so the image built from `{{APP_DIR}}` is unchanged.
- The paths shown are for Linux x64 images; use `linux-arm64` in `CORECLR_PROFILER_PATH` for ARM64 tasks. Windows containers need the Windows variant of the agent and paths.)guide";

constexpr std::string_view kDotnetEksNotes = R"guide(- The operator copies ADOT .NET into the pod and sets `CORECLR_ENABLE_PROFILING`, `CORECLR_PROFILER`, `CORECLR_PROFILER_PATH`, `DOTNET_STARTUP_HOOKS`, `DOTNET_ADDITIONAL_DEPS`, `DOTNET_SHARED_STORE` and `OTEL_DOTNET_AUTO_*` for you. Nothing in `{{APP_DIR}}` changes.
- glibc-based Linux images work as is. For Alpine (musl) images also add the pod annotation `instrumentation.opentelemetry.io/otel-dotnet-auto-runtime: "linux-musl-x64"`.)guide";

constexpr std::string_view kDotnetLambdaNotes = R"guide(- Keep the handler setting unchanged (`MyApp::MyApp.Function::FunctionHandler` in the examples stands for yours): the `/opt/otel-instrument` wrapper turns on the ADOT .NET profiler (it sets `CORECLR_ENABLE_PROFILING` and the related variables itself).
- Use a managed .NET runtime (not a custom runtime or native AOT), which the wrapper needs.)guide";

constexpr std::array<LanguageGuide, 4> kLanguages = {{
    {"python", "Python",
     "ADOT Python: the `aws-opentelemetry-distro` package, started through `opentelemetry-instrument`",
     kPythonHostSteps, "/usr/local/bin/opentelemetry-instrument /usr/bin/python3 app.py", kPythonHostEnv,
     "public.ecr.aws/aws-observability/adot-autoinstrumentation-python",
     "cp -a /autoinstrumentation/. /otel-auto-instrumentation-python", "/otel-auto-instrumentation-python",
     kPythonContainerEnv, kPythonContainerNotes, "python", kPythonEksNotes, "AWSOpenTelemetryDistroPython",
     "lambda.Runtime.PYTHON_3_12", "python3.12", "app.handler", kPythonLambdaNotes},
    {"nodejs", "Node.js",
     "ADOT JavaScript: `@aws/aws-distro-opentelemetry-node-autoinstrumentation`, loaded with "
     "`--require @aws/aws-distro-opentelemetry-node-autoinstrumentation/register`",
     kNodeHostSteps, "/usr/bin/node app.js", kNodeHostEnv,
     "public.ecr.aws/aws-observability/adot-autoinstrumentation-node",
     "cp -a /autoinstrumentation/. /otel-auto-instrumentation-node", "/otel-auto-instrumentation-node",
     kNodeContainerEnv, kNodeContainerNotes, "nodejs", kNodeEksNotes, "AWSOpenTelemetryDistroJs",
     "lambda.Runtime.NODEJS_20_X", "nodejs20.x", "index.handler", kNodeLambdaNotes},
    {"java", "Java",
     "the ADOT Java agent `aws-opentelemetry-agent.jar`, attached with `-javaagent:/path/aws-opentelemetry-agent.jar`",
     kJavaHostSteps, "/usr/bin/java -javaagent:/opt/aws-opentelemetry-agent.jar -jar app.jar", {},
     "public.ecr.aws/aws-observability/adot-autoinstrumentation-java",
     "cp /javaagent.jar /otel-auto-instrumentation/javaagent.jar", "/otel-auto-instrumentation", kJavaContainerEnv,
     kJavaContainerNotes, "java", kJavaEksNotes, "AWSOpenTelemetryDistroJava", "lambda.Runtime.JAVA_21", "java21",
     "com.example.Handler::handleRequest", kJavaLambdaNotes},
    {"dotnet", ".NET",
     "ADOT .NET auto-instrumentation: a CLR profiler and startup hook enabled with `CORECLR_ENABLE_PROFILING=1` "
     "and related variables",
     kDotnetHostSteps, "/usr/bin/dotnet MyApp.dll", kDotnetHostEnv,
     "public.ecr.aws/aws-observability/adot-autoinstrumentation-dotnet",
     "cp -a autoinstrumentation/. /otel-auto-instrumentation-dotnet", "/otel-auto-instrumentation-dotnet",
     kDotnetContainerEnv, kDotnetContainerNotes, "dotnet", kDotnetEksNotes, "AWSOpenTelemetryDistroDotNet",
     "lambda.Runtime.DOTNET_8", "dotnet8", "MyApp::MyApp.Function::FunctionHandler", kDotnetLambdaNotes},
}};

}  // namespace

const LanguageGuide* language_guide(std::string_view key) {
  for (const auto& l : kLanguages)
    if (l.key == key) return &l;
  return nullptr;
}

}  // namespace appsignals::tools::enablement
