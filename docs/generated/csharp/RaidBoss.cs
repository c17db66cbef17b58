// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

namespace Pantheon.Schema {
	public partial class RaidBoss : global::Colyseus.Schema.Schema {
#if UNITY_5_3_OR_NEWER
		[global::UnityEngine.Scripting.Preserve]
#endif
		public RaidBoss() { }

		[global::Colyseus.Schema.Type(0, "string")]
		public string bossId = default(string);

		[global::Colyseus.Schema.Type(1, "string")]
		public string name = default(string);

		[global::Colyseus.Schema.Type(2, "string")]
		public string element = default(string);

		[global::Colyseus.Schema.Type(3, "uint32")]
		public uint hp = default(uint);

		[global::Colyseus.Schema.Type(4, "uint32")]
		public uint maxHp = default(uint);

		[global::Colyseus.Schema.Type(5, "uint32")]
		public uint shield = default(uint);

		[global::Colyseus.Schema.Type(6, "boolean")]
		public bool fallen = default(bool);

		[global::Colyseus.Schema.Type(7, "string")]
		public string phaseId = default(string);

		[global::Colyseus.Schema.Type(8, "boolean")]
		public bool enraged = default(bool);

		[global::Colyseus.Schema.Type(9, "string")]
		public string castingAbilityId = default(string);

		[global::Colyseus.Schema.Type(10, "array", typeof(global::Colyseus.Schema.ArraySchema<string>), "string")]
		public global::Colyseus.Schema.ArraySchema<string> castingTargetIds = new global::Colyseus.Schema.ArraySchema<string>();

		[global::Colyseus.Schema.Type(11, "uint32")]
		public uint castingLandsAtTick = default(uint);

		[global::Colyseus.Schema.Type(12, "array", typeof(global::Colyseus.Schema.ArraySchema<RaidStatus>))]
		public global::Colyseus.Schema.ArraySchema<RaidStatus> statuses = new global::Colyseus.Schema.ArraySchema<RaidStatus>();

		[global::Colyseus.Schema.Type(13, "array", typeof(global::Colyseus.Schema.ArraySchema<RaidCooldown>))]
		public global::Colyseus.Schema.ArraySchema<RaidCooldown> cooldowns = new global::Colyseus.Schema.ArraySchema<RaidCooldown>();
	}
}
