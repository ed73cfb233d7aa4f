// Credential source 3: a named profile from the shared credentials and
// config files: static keys, or role_arn + source_profile (or
// credential_source = Environment) -> STS AssumeRole signed with the
// source's credentials. Chained roles are followed; cycles are errors.
#include <sys/stat.h>

#include <cstdint>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include "common/log.h"
#include "providers/aws/sdk/credentials_sources.h"

namespace infra::aws {
namespace {

struct FileRead {
  bool found = false;
  IniFile ini;
};

// Parsed files keyed by path and revalidated by size + mtime: endpoint and
// credential resolution consult the shared files on every call, and a stat
// is ~10x cheaper than reading and parsing them again.
FileRead ReadIni(const std::string& path, const std::string& shown) {
  struct Entry {
    std::int64_t mtime_ns = 0;
    std::int64_t size = 0;
    IniFile ini;
  };
  static std::mutex mu;
  static std::map<std::string, Entry> cache;
  FileRead r;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return r;
  std::int64_t mtime_ns = std::int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec;
  std::int64_t size = st.st_size;
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = cache.find(path);
    if (it != cache.end() && it->second.mtime_ns == mtime_ns && it->second.size == size) {
      r.found = true;
      r.ini = it->second.ini;
      return r;
    }
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return r;
  std::stringstream ss;
  ss << in.rdbuf();
  r.found = true;
  r.ini = ParseIni(ss.str(), shown);
  for (const auto& problem : r.ini.problems) log::Debug("aws shared config: {}", problem);
  std::lock_guard<std::mutex> lock(mu);
  cache[path] = Entry{mtime_ns, size, r.ini};
  return r;
}

// Resolves "~/" against HOME, as the SDKs do for the file variables.
std::string Expand(const std::string& path, const std::string& home) {
  if (path.rfind("~/", 0) == 0 && !home.empty()) return home + path.substr(1);
  return path;
}

Error Fail(const std::string& profile, std::string message) {
  return MakeError(Error::Kind::kAuth, "ProfileError",
                   "profile \"" + profile + "\": " + std::move(message));
}

std::string Value(const IniFile::Section& s, const char* key) {
  auto it = s.find(key);
  return it == s.end() ? std::string() : it->second;
}

class ProfileResolver {
 public:
  ProfileResolver(const ChainContext& ctx, const SharedFiles& files) : ctx_(ctx), files_(files) {}

  Result<Credentials> Resolve(const std::string& name) {
    auto profile = files_.Profile(name);
    if (!profile) return Fail(name, "not found in " + files_.credentials_path + " or " + files_.config_path);
    if (!Value(*profile, "role_arn").empty()) return AssumeRole(name, *profile);
    return StaticKeys(name, *profile);
  }

 private:
  Result<Credentials> StaticKeys(const std::string& name, const IniFile::Section& p) {
    std::string key = Value(p, "aws_access_key_id");
    std::string secret = Value(p, "aws_secret_access_key");
    if (!key.empty() && !secret.empty()) {
      Credentials c{key, secret, Value(p, "aws_session_token"), std::nullopt, ""};
      const IniFile::Section* in_creds = files_.credentials.Find(name);
      bool from_creds_file = in_creds != nullptr && in_creds->count("aws_access_key_id") != 0;
      c.source = "profile " + name +
                 (from_creds_file ? " (shared credentials file)" : " (config file)");
      return c;
    }
    if (!key.empty() || !secret.empty()) {
      return Fail(name, std::string("has ") + (key.empty() ? "aws_secret_access_key" : "aws_access_key_id") +
                            " but no " + (key.empty() ? "aws_access_key_id" : "aws_secret_access_key"));
    }
    for (const char* unsupported : {"credential_process", "sso_session", "sso_start_url",
                                     "web_identity_token_file"}) {
      if (p.count(unsupported) != 0) {
        return Fail(name, std::string("uses ") + unsupported +
                              ", which infra does not support; export AWS_ACCESS_KEY_ID/"
                              "AWS_SECRET_ACCESS_KEY or use an assume-role profile");
      }
    }
    return Fail(name, "has neither aws_access_key_id/aws_secret_access_key nor role_arn");
  }

  Result<Credentials> SourceCredentials(const std::string& name, const IniFile::Section& p) {
    std::string source_profile = Value(p, "source_profile");
    std::string credential_source = Value(p, "credential_source");
    if (!source_profile.empty()) {
      if (source_profile == name) return StaticKeys(name, p);  // role from its own keys
      if (!visiting_.insert(source_profile).second) {
        return Fail(name, "source_profile \"" + source_profile + "\" forms a cycle");
      }
      return Resolve(source_profile);
    }
    if (credential_source == "Environment") {
      std::string why_not;
      SourceOutcome env = CredentialsFromEnvironment(ctx_, &why_not);
      if (!env) return Fail(name, "credential_source = Environment but " + why_not);
      return std::move(*env);
    }
    if (!credential_source.empty()) {
      return Fail(name, "credential_source = " + credential_source +
                            " is not supported (only Environment)");
    }
    return Fail(name, "has role_arn but neither source_profile nor credential_source");
  }

  Result<Credentials> AssumeRole(const std::string& name, const IniFile::Section& p) {
    visiting_.insert(name);
    if (!Value(p, "mfa_serial").empty()) {
      return Fail(name, "needs an MFA code (mfa_serial), which infra cannot prompt for");
    }
    auto source = SourceCredentials(name, p);
    if (!source.ok()) return source.error();
    if (!ctx_.sts) return Fail(name, "no STS client is available [this is a bug]");
    std::string role_arn = Value(p, "role_arn");
    std::string session = Value(p, "role_session_name");
    if (session.empty()) {
      auto secs = std::chrono::duration_cast<std::chrono::seconds>(ctx_.clock().time_since_epoch());
      session = "infra-" + std::to_string(secs.count());
    }
    QueryParams params = {{"Action", "AssumeRole"},
                          {"Version", "2011-06-15"},
                          {"RoleArn", role_arn},
                          {"RoleSessionName", session}};
    if (auto d = Value(p, "duration_seconds"); !d.empty()) params.emplace_back("DurationSeconds", d);
    if (auto x = Value(p, "external_id"); !x.empty()) params.emplace_back("ExternalId", x);
    auto reply = ctx_.sts(StsRegion(ctx_), params, &source.value());
    if (!reply.ok()) {
      return Fail(name, "STS AssumeRole for " + role_arn + " (with credentials from " +
                            source->source + ") failed: " + reply.error().ToString());
    }
    auto creds = ParseStsCredentials(reply.value(), "AssumeRole", "assume-role profile " + name);
    if (!creds.ok()) return Fail(name, creds.error().message);
    return creds;
  }

  const ChainContext& ctx_;
  const SharedFiles& files_;
  std::set<std::string> visiting_;
};

}  // namespace

std::optional<IniFile::Section> SharedFiles::Profile(const std::string& profile) const {
  std::optional<IniFile::Section> merged;
  auto overlay = [&](const IniFile::Section* s) {
    if (s == nullptr) return;
    if (!merged) merged.emplace();
    for (const auto& [k, v] : *s) (*merged)[k] = v;
  };
  if (profile == "default") overlay(config.Find("default"));
  overlay(config.Find("profile " + profile));
  overlay(credentials.Find(profile));
  return merged;
}

SharedFiles LoadSharedFiles(const EnvLookup& env) {
  SharedFiles f;
  std::string home = env("HOME").value_or("");
  auto locate = [&](const char* var, const char* fallback, std::string* shown) {
    std::string configured = env(var).value_or("");
    *shown = configured.empty() ? std::string("~/.aws/") + fallback : configured;
    if (configured.empty()) return home.empty() ? std::string() : home + "/.aws/" + fallback;
    return Expand(configured, home);
  };
  std::string creds_path = locate("AWS_SHARED_CREDENTIALS_FILE", "credentials", &f.credentials_path);
  std::string config_path = locate("AWS_CONFIG_FILE", "config", &f.config_path);
  FileRead creds = creds_path.empty() ? FileRead{} : ReadIni(creds_path, f.credentials_path);
  FileRead config = config_path.empty() ? FileRead{} : ReadIni(config_path, f.config_path);
  f.credentials_found = creds.found;
  f.config_found = config.found;
  f.credentials = std::move(creds.ini);
  f.config = std::move(config.ini);
  return f;
}

std::string ActiveProfileName(const ChainContext& ctx) {
  if (!ctx.profile.empty()) return ctx.profile;
  for (const char* var : {"AWS_PROFILE", "AWS_DEFAULT_PROFILE"}) {
    if (auto v = ctx.env(var); v && !v->empty()) return *v;
  }
  return "default";
}

SourceOutcome CredentialsFromProfile(const ChainContext& ctx, std::string* why_not) {
  std::string name = ActiveProfileName(ctx);
  SharedFiles files = LoadSharedFiles(ctx.env);
  if (!files.Profile(name)) {
    auto describe = [&](bool found, const std::string& path) {
      return found ? "not in " + path : "no " + path;
    };
    *why_not = describe(files.credentials_found, files.credentials_path) + ", " +
               describe(files.config_found, files.config_path);
    return std::nullopt;
  }
  ProfileResolver resolver(ctx, files);
  return resolver.Resolve(name);
}

}  // namespace infra::aws
