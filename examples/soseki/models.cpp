// Soseki's models at head.
#include "models.hpp"

namespace soseki {

using strata::FkAction;
using strata::Timestamp;
using strata::Type;
using strata::Value;

strata::Schema app_models()
{
    strata::Schema s("app");
    s.table("user")
        .column<std::int32_t>("id").primary_key().autoincrement()
        .column<std::optional<std::string>>("username").varchar(80).unique()
        .column<bool>("is_active").default_value(true)
        .column<std::optional<std::string>>("email").varchar(255).unique()
        .column<std::optional<Timestamp>>("confirmed_at").without_time_zone()
        .column<bool>("loggedin").default_value(false)
        .column<std::string>("password").varchar(255)
        .column<std::optional<Timestamp>>("created").default_now()
        .column<std::optional<Timestamp>>("updated")
        .column<std::optional<Timestamp>>("last_login")
        .column<std::optional<Timestamp>>("last_access")
        .column<std::int32_t>("num_of_logins").default_value(0)
        .column<std::optional<std::string>>("first_name").varchar(50)
        .column<std::optional<std::string>>("last_name").varchar(50);
    s.table("role")
        .column<std::int32_t>("id").primary_key().autoincrement()
        .column<std::optional<std::string>>("name").varchar(50).unique()
        .column<std::optional<bool>>("is_active").default_value(true)
        .column<std::optional<Timestamp>>("created").default_now()
        .column<std::optional<Timestamp>>("updated");
    s.table("user_roles")
        .column<std::int32_t>("user_id").references("user", "id")
        .column<std::int32_t>("role_id").references("role", "id")
        .column<std::optional<Timestamp>>("created").default_now()
        .column<std::optional<Timestamp>>("updated")
        .primary_key({"user_id", "role_id"});
    s.table("user_invitations")
        .column<std::int32_t>("id").primary_key().autoincrement()
        .column<std::string>("email").varchar(255)
        .column<std::optional<std::int32_t>>("invited_by_user_id").references("user", "id");
    s.table("job")
        .column<std::int32_t>("id").primary_key().autoincrement()
        .column<std::string>("task_id").varchar(50)
        .column<std::string>("name").varchar(25)
        .column<std::string>("action").varchar(50)
        .column<std::string>("status").varchar(50)
        .column<std::optional<std::string>>("logfile").varchar(50)
        .column<std::optional<std::int32_t>>("progress")
        .column<std::optional<std::int32_t>>("user_id").references("user", "id", FkAction::cascade)
        .column<std::optional<Timestamp>>("created").default_now()
        .column<std::optional<Timestamp>>("started")
        .column<std::optional<Timestamp>>("done");
    s.table("setting")
        .column<std::int32_t>("id").primary_key().autoincrement()
        .column<std::optional<std::int32_t>>("user_id").references("user", "id")
        .column<std::string>("key").varchar(50)
        .column<std::string>("type").varchar(10)
        .column<std::string>("value").varchar(100)
        .column<bool>("is_global").default_value(false)
        .column<std::optional<std::string>>("desc").varchar(250)
        .column<std::optional<Timestamp>>("updated")
        .column<std::optional<Timestamp>>("created").default_now();
    s.table("apikey")
        .column<std::int32_t>("id").primary_key().autoincrement()
        .column<std::optional<std::int32_t>>("user_id").references("user", "id")
        .column<bool>("is_active").default_value(true)
        .column<std::string>("key").varchar(50).unique()
        .column<std::optional<Timestamp>>("updated")
        .column<std::optional<Timestamp>>("created").default_now();
    s.table<Audit>("audit")
        .column(&Audit::id, "id").primary_key().autoincrement()
        .column(&Audit::by_user, "by_user").varchar(255)
        .column(&Audit::category, "category").varchar(10)
        .column(&Audit::description, "description").varchar(250)
        .column(&Audit::status, "status").varchar(10)
        .column(&Audit::created, "created").default_now();
    s.table("contact")
        .column<std::int32_t>("id").primary_key().autoincrement()
        .column<std::string>("req_id").varchar(50)
        .column<std::string>("source").varchar(50)
        .column<std::string>("name").varchar(100)
        .column<std::string>("email").varchar(100)
        .column<std::string>("details").varchar(200)
        .column<std::optional<bool>>("sent")
        .column<std::optional<Timestamp>>("created").default_now();
    s.table("subs")
        .column<std::int32_t>("id").primary_key().autoincrement()
        .column<std::optional<std::string>>("name").varchar(50).unique()
        .column<std::optional<bool>>("is_active").default_value(true)
        .column<std::optional<double>>("price")
        .column<std::optional<Timestamp>>("created").default_now()
        .column<std::optional<Timestamp>>("updated");
    s.table("user_subs")
        .column<std::int32_t>("user_id").references("user", "id")
        .column<std::int32_t>("subs_id").references("subs", "id")
        .column<std::optional<Timestamp>>("expiration").default_now()
        .column<std::optional<Timestamp>>("created").default_now()
        .column<std::optional<Timestamp>>("updated")
        .primary_key({"user_id", "subs_id"});
    s.table("user_transaction")
        .column<std::int32_t>("id").primary_key().autoincrement()
        .column<std::string>("description").varchar(255)
        .column<std::optional<std::int32_t>>("invited_by_user_id").references("user", "id");
    return s;
}

strata::Schema log_models()
{
    strata::Schema s("log");
    s.table<Access>("access")
        .column(&Access::id, "id").primary_key().autoincrement()
        .column(&Access::remote_addr, "remote_addr").varchar(100)
        .column(&Access::method, "method").varchar(100)
        .column<std::optional<std::string>>("protocol").varchar(100)
        .column(&Access::path, "path").varchar(250)
        .column<std::optional<std::string>>("response").varchar(100)
        .column(&Access::response_time, "response_time")
        .column<std::optional<std::string>>("user").varchar(100)
        .column<std::optional<Timestamp>>("created").default_now();
    auto status = s.table("status");
    status.column<std::int32_t>("id").primary_key().autoincrement()
        .column<std::optional<std::string>>("api_status").varchar(100)
        .column<std::optional<std::string>>("api_now_threshold").varchar(100);
    for (const char* counter : {"api_active_now", "api_max_active", "api_total", "users", "users_active", "conf_keys",
                                "audit_cnt", "response_time"})
        status.column<std::optional<std::int32_t>>(counter);
    status.column<std::optional<double>>("mem").column<std::optional<Timestamp>>("created").default_now();
    s.table("stats")
        .column<std::int32_t>("id").primary_key().autoincrement()
        .column<std::optional<std::string>>("day").varchar(16)
        .column<std::optional<std::string>>("path").varchar(10)
        .column<std::optional<std::int32_t>>("hits")
        .column<std::optional<double>>("mean_response_time")
        .column<std::optional<std::int32_t>>("max_response_time")
        .column<std::optional<std::int32_t>>("last_processed")
        .column<std::optional<Timestamp>>("created").default_now();
    s.table("db_stats")
        .column<std::int32_t>("id").primary_key().autoincrement()
        .column<std::optional<std::string>>("type").varchar(10)
        .column<std::optional<std::string>>("table").varchar(50)
        .column<std::optional<std::string>>("period").varchar(16)
        .column<std::optional<double>>("counter")
        .column<std::optional<Timestamp>>("created").default_now();
    return s;
}

}  // namespace soseki
