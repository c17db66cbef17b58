// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

namespace Pantheon.Schema {
	public partial class RaidState : global::Colyseus.Schema.Schema {
#if UNITY_5_3_OR_NEWER
		[global::UnityEngine.Scripting.Preserve]
#endif
		public RaidState() { }

		[global::Colyseus.Schema.Type(0, "string")]
		public string roomStatus = "running";

		[global::Colyseus.Schema.Type(1, "uint32")]
		public uint tick = default(uint);

		[global::Colyseus.Schema.Type(2, "string")]
		public string status = default(string);

		[global::Colyseus.Schema.Type(3, "string")]
		public string raidId = default(string);

		[global::Colyseus.Schema.Type(4, "string")]
		public string contentVersion = default(string);

		[global::Colyseus.Schema.Type(5, "uint32")]
		public uint startTick = default(uint);

		[global::Colyseus.Schema.Type(6, "uint32")]
		public uint lastTick = default(uint);

		[global::Colyseus.Schema.Type(7, "string")]
		public string outcome = default(string);

		[global::Colyseus.Schema.Type(8, "ref", typeof(RaidBoss))]
		public RaidBoss boss = null;

		[global::Colyseus.Schema.Type(9, "map", typeof(global::Colyseus.Schema.MapSchema<RaidOracle>))]
		public global::Colyseus.Schema.MapSchema<RaidOracle> oracles = new global::Colyseus.Schema.MapSchema<RaidOracle>();

		[global::Colyseus.Schema.Type(10, "map", typeof(global::Colyseus.Schema.MapSchema<RaidSeat>))]
		public global::Colyseus.Schema.MapSchema<RaidSeat> seats = new global::Colyseus.Schema.MapSchema<RaidSeat>();

		[global::Colyseus.Schema.Type(11, "map", typeof(global::Colyseus.Schema.MapSchema<RaidLoot>))]
		public global::Colyseus.Schema.MapSchema<RaidLoot> loot = new global::Colyseus.Schema.MapSchema<RaidLoot>();
	}
}
