// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

namespace Pantheon.Schema {
	public partial class BattleOracle : global::Colyseus.Schema.Schema {
#if UNITY_5_3_OR_NEWER
		[global::UnityEngine.Scripting.Preserve]
#endif
		public BattleOracle() { }

		[global::Colyseus.Schema.Type(0, "string")]
		public string oracleId = default(string);

		[global::Colyseus.Schema.Type(1, "string")]
		public string playerId = default(string);

		[global::Colyseus.Schema.Type(2, "string")]
		public string side = default(string);

		[global::Colyseus.Schema.Type(3, "string")]
		public string name = default(string);

		[global::Colyseus.Schema.Type(4, "string")]
		public string element = default(string);

		[global::Colyseus.Schema.Type(5, "uint32")]
		public uint hp = default(uint);

		[global::Colyseus.Schema.Type(6, "uint32")]
		public uint maxHp = default(uint);

		[global::Colyseus.Schema.Type(7, "uint32")]
		public uint shield = default(uint);

		[global::Colyseus.Schema.Type(8, "boolean")]
		public bool fallen = default(bool);

		[global::Colyseus.Schema.Type(9, "array", typeof(global::Colyseus.Schema.ArraySchema<string>), "string")]
		public global::Colyseus.Schema.ArraySchema<string> abilities = new global::Colyseus.Schema.ArraySchema<string>();

		[global::Colyseus.Schema.Type(10, "array", typeof(global::Colyseus.Schema.ArraySchema<BattleStatus>))]
		public global::Colyseus.Schema.ArraySchema<BattleStatus> statuses = new global::Colyseus.Schema.ArraySchema<BattleStatus>();

		[global::Colyseus.Schema.Type(11, "array", typeof(global::Colyseus.Schema.ArraySchema<BattleCooldown>))]
		public global::Colyseus.Schema.ArraySchema<BattleCooldown> cooldowns = new global::Colyseus.Schema.ArraySchema<BattleCooldown>();
	}
}
